"""Made-up citizens with well-formed Iranian numbers, for tests and the benchmark."""

from __future__ import annotations


def national_id(n: int) -> str:
    """The n-th synthetic کد ملی: nine digits from `n`, then the real check digit."""
    body = [int(ch) for ch in f"{n % 10**9:09d}"]
    if len(set(body)) == 1:  # all-same digits are refused however the checksum comes out
        body[0] = (body[0] + 1) % 10
    remainder = sum(d * (10 - i) for i, d in enumerate(body)) % 11
    return "".join(map(str, body)) + str(remainder if remainder < 2 else 11 - remainder)


def mobile(n: int) -> str:
    """The n-th synthetic mobile number (0912 followed by seven digits from `n`)."""
    return f"0912{n % 10**7:07d}"
