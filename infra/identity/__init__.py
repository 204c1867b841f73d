"""Who may sign in: the Cognito user pool, its web client and a customer's federated IdP."""
