import { OrgChain } from '@sc/testing';

/** Two separate org chains under one city: A holds the targets, B the outsiders. */
export interface ScopeWorld {
  a: OrgChain;
  b: OrgChain;
  /** Authorization header of an administrator (sees everything). */
  admin: string;
  /** A community worker of A's community: inside the scope of every target. */
  insider: string;
  /** Principals whose scope lies wholly outside A: a community worker of B, property staff of B's company. */
  outsiders: { name: string; header: string }[];
  /** Ids of rows created for the routes in A (devices, accounts, keys...), filled by `arrange`. */
  ids: Record<string, string>;
}

export interface ConcreteRequest {
  url: string;
  body?: unknown;
  /** Defaults to JSON; CSV imports send text/csv. */
  contentType?: string;
}

/**
 * One registered route, and how to aim a request at a target inside community A.
 * The route-scope test fails when a registered route has no case.
 */
export interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As registered with Nest, e.g. /org/units/:id */
  path: string;
  /**
   * scoped (default): tenant data, outsiders must get 403/404.
   * public: no authentication (login, health only).
   * self: any principal, acting on itself only (GET /auth/me).
   * global: authenticated, but not tenant data (catalogues such as device types).
   */
  access?: 'scoped' | 'public' | 'self' | 'global';
  /** Creates whatever the request targets (inside A) and records ids in world.ids. */
  arrange?: (world: ScopeWorld, http: import('../support/test-app').TestApp) => Promise<void>;
  request: (world: ScopeWorld) => ConcreteRequest;
}
