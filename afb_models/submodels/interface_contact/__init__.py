"""Contact of the plated metal with a solid electrolyte (option "interface contact"):
one class per option value."""

from .creep_limited import CreepLimitedContact, critical_stripping_current_density
from .full_contact import FullContact

__all__ = ["CreepLimitedContact", "FullContact", "critical_stripping_current_density"]
