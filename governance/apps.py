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
        self._provide_the_registry_ports()

    def _provide_the_registry_ports(self) -> None:
        """What the registry's pages and services need of governance (stakeholders.ports)."""
        from governance import bundle_meetings, selectors
        from governance.models import Policy
        from stakeholders import ports

        ports.latest_representation.provide(selectors.representation_latest)
        ports.latest_department_assessment.provide(selectors.department_assessment_latest)
        ports.latest_account_flags.provide(selectors.account_flags_latest)
        ports.headed_departments.provide(
            lambda user: selectors.headed_departments_view(user, selectors.snapshot_latest())
        )
        ports.default_term_months.provide(lambda: Policy.load().default_term_months)
        ports.bundle_meetings.provide(bundle_meetings)
