"""Alerts: rules from a TOML file, matched against canonical events, delivered once each."""
