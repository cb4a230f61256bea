"""The translation catalogues (gettext ``.po`` files) of proofing: ``<language>/LC_MESSAGES/ui*.po`` for the app,
the record and the command line, ``rules*.po`` for the rule base. See proofing/language.py."""
