"""Organizations: a school, a university or an administration and its people (issue 9).

An organization belongs to a space; its members have a role (administrator or member) and are
disabled, never deleted; administrators invite people by e-mail. Campaigns build on this.
"""
