from django.contrib.auth.hashers import Argon2PasswordHasher


class VideoCallArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP ASVS 5.0 parameters or above: m=19456 KiB, t=2, p=1.

    Older hashes (Django's defaults, PBKDF2) are upgraded at the next successful login because this
    hasher comes first in ``PASSWORD_HASHERS`` and ``must_update`` compares the parameters.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19456
    parallelism = 1
