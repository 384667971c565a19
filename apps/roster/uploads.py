"""An upload handler that stops reading a roster at the size limit instead of spooling it all to disk."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitHandler(FileUploadHandler):
    """First in the chain: counts the bytes of the file and gives up past ROSTER_MAX_BYTES.

    The fields before the file (CSRF token, kind, scope) are already parsed; the view sees
    `request.roster_upload_too_large` and says so next to the file field.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.ROSTER_MAX_BYTES:
            self.request.roster_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
