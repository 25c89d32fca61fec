from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"

    def ready(self) -> None:
        # Governance listens to the registry; the registry never imports governance.
        from governance import services
        from stakeholders.signals import registry_changed

        registry_changed.connect(
            services.registry_changed_receive, dispatch_uid="governance.registry_changed"
        )
