from videocall.notifications.models import Notification
from videocall.privacy.registry import Category, Erasure, FieldDecl, LegalBasis, Purpose, data_map

_COMMS = (Purpose.COMMUNICATIONS,)

data_map.declare(
    Notification,
    personal={
        "kind": FieldDecl(
            Category.COMMUNICATIONS, _COMMS, LegalBasis.CONTRACT, "notifications", erasure=Erasure.CASCADE
        ),
        "title": FieldDecl(
            Category.COMMUNICATIONS, _COMMS, LegalBasis.CONTRACT, "notifications", erasure=Erasure.CASCADE
        ),
        "body": FieldDecl(
            Category.COMMUNICATIONS, _COMMS, LegalBasis.CONTRACT, "notifications", erasure=Erasure.CASCADE
        ),
        "url": FieldDecl(
            Category.COMMUNICATIONS, _COMMS, LegalBasis.CONTRACT, "notifications", erasure=Erasure.CASCADE
        ),
        "created_at": FieldDecl(
            Category.COMMUNICATIONS, _COMMS, LegalBasis.CONTRACT, "notifications", erasure=Erasure.CASCADE
        ),
        "read_at": FieldDecl(
            Category.COMMUNICATIONS, _COMMS, LegalBasis.CONTRACT, "notifications", erasure=Erasure.CASCADE
        ),
    },
    not_personal={"id": "row id", "user": "owner"},
    owner_path="user",
)
