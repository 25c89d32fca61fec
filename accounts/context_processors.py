def roles(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "is_coe_lead": signed_in and user.is_coe_lead,
        # Read lazily: pages without the navigation (e-mails, JSON) pay nothing for it.
        "is_department_head": (lambda: signed_in and user.is_department_head),
    }
