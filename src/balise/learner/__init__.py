"""What concerns one person across every app: their account page, their data export, their
language change and the erasure of their account.

It sits above the apps (accounts, evaluation, learning, and later organizations and
certification) so that identity stays the floor: `accounts` imports none of them, and an app
added later joins the export and the erasure here rather than being imported by `accounts`.
"""
