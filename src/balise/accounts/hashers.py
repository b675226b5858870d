"""Password hashing sized for a public service's login peaks.

Django's Argon2 defaults (100 MiB, 8 lanes) cost 0.6-0.9 s of CPU per login on a 2-core
server, so a class arriving at once queues for seconds. OWASP's recommended minimum for
Argon2id (19 MiB, 2 passes, 1 lane) keeps brute force expensive at ~50 ms per check.
Hashes made with other parameters are upgraded at the next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class BaliseArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
