"""Where volunteers can serve, as people browse it: provinces, counties and centers (by list, by
typed search, by distance), and the activity areas. Read-only: centers change by import."""

from __future__ import annotations

from storage.activities import ActivityRepository
from storage.centers import CenterRepository
from storage.models import Activity, Center, County, Province


class PlaceService:
    """The centers and activity areas, for questions, pickers, cards and alerts."""

    def __init__(self, centers: CenterRepository, activities: ActivityRepository):
        self._centers = centers
        self._activities = activities

    async def center(self, center_id: int) -> Center | None:
        return await self._centers.by_id(center_id)

    async def center_by_code(self, code: str) -> Center | None:
        return await self._centers.by_code(code)

    async def provinces(self) -> list[Province]:
        """Provinces that have an active center."""
        return await self._centers.provinces_with_centers()

    async def counties(self, province_id: int) -> list[County]:
        """The province's counties that have an active center."""
        return await self._centers.counties_with_centers(province_id)

    async def centers_in(self, county_id: int) -> list[Center]:
        """The county's active centers."""
        return await self._centers.active_in_county(county_id)

    async def province(self, province_id: int) -> Province | None:
        return await self._centers.province(province_id)

    async def county(self, county_id: int) -> County | None:
        return await self._centers.county(county_id)

    async def search(self, text: str, limit: int) -> list[Center]:
        """Active centers whose name, county or code matches the typed text."""
        return await self._centers.search(text, limit)

    async def matching(self, query: str, limit: int) -> list[Center]:
        """The centers a typed query names: the one whose code it is (all digits), else up to
        `limit` whose name, address or county holds it."""
        if query.isdigit():
            center = await self._centers.by_code(query)
            return [center] if center is not None else []
        return await self._centers.search(query, limit) if query else []

    async def nearest(self, lat: float, lon: float, k: int) -> list[tuple[Center, float]]:
        """The k active centers nearest a shared location, with their distance in km."""
        return await self._centers.nearest(lat, lon, k)

    async def activities(self) -> list[Activity]:
        """The activity areas a volunteer can choose, in order."""
        return await self._activities.active()

    async def activities_by_id(self) -> dict[int, Activity]:
        return {a.id: a for a in await self._activities.active()}
