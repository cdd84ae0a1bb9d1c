"""Common code shared by every service of the platform."""
