from django.conf import settings
from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who signs in. Roles come from the `COE leads` group and `Department.head`."""

    @property
    def is_coe_lead(self) -> bool:
        # Cached per instance: the role is checked many times while rendering one page.
        if not hasattr(self, "_is_coe_lead"):
            self._is_coe_lead = self.is_active and (
                self.is_superuser or self.groups.filter(name=settings.COE_LEADS_GROUP).exists()
            )
        return self._is_coe_lead
