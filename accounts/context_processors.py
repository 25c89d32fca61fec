def roles(request):
    user = getattr(request, "user", None)
    is_lead = bool(user and user.is_authenticated and user.is_coe_lead)
    return {"is_coe_lead": is_lead}
