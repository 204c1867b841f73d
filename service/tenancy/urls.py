"""Routes of the tokens and members APIs."""

from django.urls import path

from tenancy.apis import MemberListCreateApi, MemberUpdateApi, TokenListIssueApi, TokenRevokeApi
from tenancy.me import MeApi

urlpatterns = [
    path("tokens/", TokenListIssueApi.as_view(), name="tokens"),
    path("tokens/<int:token_id>/revoke/", TokenRevokeApi.as_view(), name="token-revoke"),
    path("members/", MemberListCreateApi.as_view(), name="members"),
    path("members/<int:member_id>/", MemberUpdateApi.as_view(), name="member"),
    path("me/", MeApi.as_view(), name="me"),
]
