"""Certify: certification centres (run by an organization), their sessions and candidates.

A centre is an organization's habilitation to certify (decision 0025): its members are the
organization's members, invited and managed in one place.
"""
