/**
 * Who is signed in (`GET /api/v1/me/`) and which pages their role may use. The navigation shows
 * only those; the API still decides every request (tenancy.permissions).
 */

export const ME_PATH = "/api/v1/me/";

export type Role = "admin" | "member" | "auditor";

export type Me = {
  id: number;
  username: string;
  role: Role;
  organization: { id: string; name: string };
};

type Page = { href: string; label: string; roles: readonly Role[] };

const EVERY_ROLE: readonly Role[] = ["admin", "member", "auditor"];

/** The portal's pages and the roles whose API calls they need (docs/service.md's matrix). */
export const PAGES: readonly Page[] = [
  { href: "/documents", label: "Documents", roles: EVERY_ROLE },
  { href: "/audit", label: "Audit trail", roles: ["admin", "auditor"] },
  { href: "/members", label: "Members", roles: ["admin"] },
  { href: "/tokens", label: "API tokens", roles: EVERY_ROLE },
];

/** The pages `role` may use, in navigation order. */
export function pagesFor(role: Role): Page[] {
  return PAGES.filter((page) => page.roles.includes(role));
}

/** Whether `role` may use the page at `href`. */
export function mayUse(role: Role, href: string): boolean {
  return pagesFor(role).some((page) => page.href === href);
}
