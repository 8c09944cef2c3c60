"""The email channel's files, offered to the adviser workspace through the hub's source registry.

The hub core cannot import this channel (decision 0001), so the channel registers this
source at start-up (`channels.email.routes.init_app`) and the workspace asks it for a case's
files. The workspace has already found the case inside the adviser's councils; here a file is
only ever looked up together with its case, so a file id from another case finds nothing.
"""
from __future__ import annotations

from typing import Any

from channels.email import queries
from hub.adviser.attachments import AttachmentInfo, StoredFile

SOURCE = "email"


def _info(row: Any) -> AttachmentInfo:
    return AttachmentInfo(source=SOURCE, id=row.id, message_id=row.hub_message_id, filename=row.filename,
                          content_type=row.content_type, size=row.size, refused_reason=row.refused_reason)


class EmailAttachments:
    def for_case(self, case_id: int) -> list[AttachmentInfo]:
        return [_info(row) for row in queries.attachments_for_case(case_id)]

    def get(self, case_id: int, attachment_id: int) -> StoredFile | None:
        row = queries.attachment_of_case(case_id, attachment_id)
        if row is None or row.data is None or row.refused_reason is not None:
            return None
        return StoredFile(info=_info(row), data=row.data)
