"""A real proxy server (pproxy) for tests, that alone can resolve PROXY_ONLY_HOST (to 127.0.0.1):
a bot that reaches the emulator at that host name can only have gone through the proxy.

    python tests/proxy_server.py socks5://127.0.0.1:PORT#user:password
"""

from __future__ import annotations

import socket
import sys

PROXY_ONLY_HOST = "botapi.proxy-only"


def main() -> None:
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        return real_getaddrinfo("127.0.0.1" if host == PROXY_ONLY_HOST else host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    sys.modules["uvloop"] = None  # pproxy would install uvloop's policy and then find no loop
    from pproxy.server import main as pproxy_main

    sys.argv = ["pproxy", "-l", sys.argv[1]]
    pproxy_main()


if __name__ == "__main__":
    main()
