/**
 * StackStorm's RBAC model, pure: permission types, the three system roles, custom roles made of
 * permission grants, and the decision whether a set of roles grants a permission on a resource.
 *
 * Terminology: a *permission type* (`action_execute`) names what may be done to a *resource type*
 * (`action`); a *grant* gives permission types on one resource (by uid, `action:core:local`,
 * `pack:core`) or, without a uid, on every resource of their type. A *role* holds grants; an
 * *assignment* gives a user roles.
 */

export const PermissionType = {
  actionList: 'action_list',
  actionView: 'action_view',
  actionCreate: 'action_create',
  actionModify: 'action_modify',
  actionDelete: 'action_delete',
  actionExecute: 'action_execute',
  actionAll: 'action_all',
  executionList: 'execution_list',
  executionView: 'execution_view',
  executionReRun: 'execution_rerun',
  executionStop: 'execution_stop',
  executionAll: 'execution_all',
  executionViewsFiltersList: 'execution_views_filters_list',
  runnerTypeList: 'runner_type_list',
  runnerTypeView: 'runner_type_view',
  runnerTypeModify: 'runner_type_modify',
  runnerTypeAll: 'runner_type_all',
  keyValuePairList: 'key_value_pair_list',
  keyValuePairView: 'key_value_pair_view',
  keyValuePairSet: 'key_value_pair_set',
  keyValuePairDelete: 'key_value_pair_delete',
  keyValuePairAll: 'key_value_pair_all',
  apiKeyList: 'api_key_list',
  apiKeyView: 'api_key_view',
  apiKeyCreate: 'api_key_create',
  apiKeyModify: 'api_key_modify',
  apiKeyDelete: 'api_key_delete',
  apiKeyAll: 'api_key_all',
  streamView: 'stream_view',
  inquiryList: 'inquiry_list',
  inquiryView: 'inquiry_view',
  inquiryRespond: 'inquiry_respond',
  inquiryAll: 'inquiry_all',
} as const;
export type PermissionType = (typeof PermissionType)[keyof typeof PermissionType];

const ALL_PERMISSION_TYPES: ReadonlySet<string> = new Set(Object.values(PermissionType));

export function isPermissionType(value: string): value is PermissionType {
  return ALL_PERMISSION_TYPES.has(value);
}

export const SystemRole = {
  systemAdmin: 'system_admin',
  admin: 'admin',
  observer: 'observer',
} as const;
export type SystemRole = (typeof SystemRole)[keyof typeof SystemRole];

export const SYSTEM_ROLES: readonly string[] = Object.values(SystemRole);

export interface PermissionGrant {
  /** The resource (`action:core:local`, `pack:core`, `key_value_pair:st2kv.system:x`); absent: all. */
  resourceUid?: string;
  permissionTypes: PermissionType[];
}

export interface Role {
  name: string;
  description: string;
  enabled: boolean;
  grants: PermissionGrant[];
}

export interface RoleAssignment {
  username: string;
  roles: string[];
  enabled: boolean;
}

/** The resource a check is about: its uid and, for pack contents, the pack it belongs to. */
export interface ResourceRef {
  uid: string;
  pack?: string;
  /** For executions: the action they ran, whose grants also cover them. */
  actionUid?: string;
}

/** The resource type a permission type applies to: the text before the verb. */
function resourceTypeOf(permission: PermissionType): string {
  return permission.slice(0, permission.lastIndexOf('_'));
}

/** `x_view` and `x_list` are read-only: the observer role has every one of them. */
function isReadOnly(permission: PermissionType): boolean {
  return permission.endsWith('_view') || permission.endsWith('_list');
}

/** Whether granting `granted` gives `wanted`: the same type, or the `_all` of its resource type. */
function covers(granted: PermissionType, wanted: PermissionType): boolean {
  if (granted === wanted) return true;
  return granted.endsWith('_all') && resourceTypeOf(granted) === resourceTypeOf(wanted);
}

/**
 * Execution permissions are granted through the action (StackStorm's backend does the same):
 * a grant of `action_*` on an action or pack covers its executions' `execution_*` permissions.
 */
function grantedThroughAction(granted: PermissionType, wanted: PermissionType): boolean {
  return wanted.startsWith('execution_') && (granted === PermissionType.actionAll || granted === wanted);
}

function grantMatches(
  grant: PermissionGrant,
  wanted: PermissionType,
  resource: ResourceRef | undefined,
): boolean {
  if (grant.resourceUid === undefined) return grant.permissionTypes.some((t) => covers(t, wanted));
  if (!resource) return false;
  const uids = [resource.uid, resource.actionUid, resource.pack ? `pack:${resource.pack}` : undefined];
  if (!uids.includes(grant.resourceUid)) return false;
  return grant.permissionTypes.some(
    (t) => covers(t, wanted) || (grant.resourceUid !== resource.uid && grantedThroughAction(t, wanted)),
  );
}

export function isAdminRole(role: string): boolean {
  return role === SystemRole.systemAdmin || role === SystemRole.admin;
}

/**
 * Whether the roles (names, resolved against `customRoles`) give `permission`, on `resource` when
 * given (a resource-level check) or at the endpoint level otherwise.
 */
export function rolesGrant(
  roleNames: readonly string[],
  customRoles: ReadonlyMap<string, Role>,
  permission: PermissionType,
  resource?: ResourceRef,
): boolean {
  for (const name of roleNames) {
    if (isAdminRole(name)) return true;
    if (name === SystemRole.observer && isReadOnly(permission)) return true;
    const role = customRoles.get(name);
    if (!role || !role.enabled) continue;
    if (role.grants.some((g) => grantMatches(g, permission, resource))) return true;
    // An endpoint-level list check passes when the role can list some resources of the type.
    if (
      !resource &&
      permission.endsWith('_list') &&
      role.grants.some((g) => g.permissionTypes.includes(permission))
    )
      return true;
  }
  return false;
}
