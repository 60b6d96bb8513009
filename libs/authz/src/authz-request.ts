import { isDocumentClass } from './document-classes.js';
import { canonicalRoutePath } from './route-path.js';
import { HTTP_METHODS } from './routes.js';
import { isToolName } from './tools.js';

/** One authorization question, independent of who asks it. */
export type AuthzRequest =
  | {
      readonly kind: 'route';
      readonly method: string;
      readonly path: string;
      /** The tenant whose data or configuration the call touches; defaults to the principal's. */
      readonly tenant?: string;
    }
  | { readonly kind: 'tool'; readonly tool: string }
  | {
      readonly kind: 'audit';
      readonly tenant: string;
      readonly action: 'read' | 'write' | 'delete';
      /** The audit stream; `events` unless named. */
      readonly stream?: string;
    }
  | { readonly kind: 'document-class'; readonly documentClass: string }
  | { readonly kind: 'territory'; readonly scope: 'own' | 'team' | 'all' };

/** A request turned into the model's resource and action. */
export type ResolvedRequest =
  | {
      readonly ok: true;
      readonly resource: string;
      readonly action: string;
      readonly tenant: string | undefined;
      readonly label: string;
    }
  | { readonly ok: false; readonly problem: string; readonly label: string };

/** Maps a request onto the policy's resource namespaces (see model.conf). */
export function resolveRequest(request: AuthzRequest): ResolvedRequest {
  switch (request.kind) {
    case 'route': {
      // HEAD is served by the GET handler, so it is authorized as GET.
      const upper = request.method.toUpperCase();
      const method = upper === 'HEAD' ? 'GET' : upper;
      const label = `${method} ${request.path}`;
      if (!(HTTP_METHODS as readonly string[]).includes(method)) {
        return {
          ok: false,
          problem: `method '${request.method}' is not routed`,
          label,
        };
      }
      const path = canonicalRoutePath(request.path);
      if (!path.ok) return { ok: false, problem: path.problem, label };
      return {
        ok: true,
        resource: path.path,
        action: method,
        tenant: request.tenant,
        label: `${method} ${path.path}`,
      };
    }
    case 'tool': {
      const label = `invoke tool ${request.tool}`;
      if (!isToolName(request.tool)) {
        return { ok: false, problem: `unknown tool '${request.tool}'`, label };
      }
      return {
        ok: true,
        resource: `tool/${request.tool}`,
        action: 'invoke',
        tenant: undefined,
        label,
      };
    }
    case 'audit': {
      const stream = request.stream ?? 'events';
      const label = `${request.action} audit/${stream} of ${request.tenant}`;
      if (!/^[a-z][a-z0-9-]*$/.test(stream)) {
        return {
          ok: false,
          problem: `bad audit stream name '${stream}'`,
          label,
        };
      }
      return {
        ok: true,
        resource: `audit/${stream}`,
        action: request.action,
        tenant: request.tenant,
        label,
      };
    }
    case 'document-class': {
      const label = `read ${request.documentClass} documents`;
      if (!isDocumentClass(request.documentClass)) {
        return {
          ok: false,
          problem: `unknown document class '${request.documentClass}'`,
          label,
        };
      }
      return {
        ok: true,
        resource: `doc-class/${request.documentClass}`,
        action: 'read',
        tenant: undefined,
        label,
      };
    }
    case 'territory':
      return {
        ok: true,
        resource: `territory/${request.scope}`,
        action: 'see',
        tenant: undefined,
        label: `see ${request.scope} territories`,
      };
  }
}
