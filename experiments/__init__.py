"""Protocol files (TOML) shipped with afb: formation, cycling and calendar-rest
protocols. Read them with :func:`afb_models.protocols.load_protocol`."""
