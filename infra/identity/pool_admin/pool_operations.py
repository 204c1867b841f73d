"""The user pools' operations the pool-admin function runs, and nothing else.

One list, read by the function's handler (it refuses any other operation), by its role's grant
on the two pools (infra/compute/pool_admin.py) and by the permissions boundary every platform
role carries (infra/delivery/bootstrap.py). It imports nothing: it ships with the function's
code, and the bootstrap reads it without the CDK.
"""

OPERATIONS = (
    "AdminCreateUser",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminGetUser",
    # An invited member of an organization with its own identity provider, linked to it.
    "AdminLinkProviderForUser",
    "AdminUserGlobalSignOut",
)
ACTIONS = tuple(f"cognito-idp:{operation}" for operation in OPERATIONS)
