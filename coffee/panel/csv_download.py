"""The CSV downloads of the panel's lists: the organizer exports (`coffee.organizers.exports`,
the same files /admin sends) streamed to the browser as they are written, under their names."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, stream_with_context

from coffee.organizers import Export


def csv_response(export: Export) -> Response:
    """`export` as a download: streamed (a year of meetings starts arriving at once and never
    sits whole in memory), named in UTF-8 with an ASCII fallback for old browsers."""
    ascii_name = export.file_name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = (f'attachment; filename="{ascii_name}"; '
                   f"filename*=UTF-8''{quote(export.file_name)}")
    return Response(stream_with_context(export.chunks), mimetype="text/csv",
                    headers={"Content-Disposition": disposition,
                             "Cache-Control": "no-store"})
