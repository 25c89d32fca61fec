"""The registry's pages, one module per feature: directory (departments list and
detail, social accounts), departments (forms, groups), people, seats (nominate and
decide), handovers, imports, exports."""
