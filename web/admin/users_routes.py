"""Users and departments of the admin's own municipality."""
