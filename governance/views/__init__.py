"""Governance's pages, one module per feature: dashboard (with the map), queue,
roster, meetings, policy, report (and review), exports."""
