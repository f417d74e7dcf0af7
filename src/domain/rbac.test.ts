import { describe, expect, it } from 'vitest';
import { PermissionType, rolesGrant, type Role } from './rbac.ts';

const role = (name: string, grants: Role['grants'], enabled = true): [string, Role] => [
  name,
  { name, description: '', enabled, grants },
];

const roles = new Map<string, Role>([
  role('pack_reader', [{ resourceUid: 'pack:examples', permissionTypes: [PermissionType.actionView] }]),
  role('runner', [{ resourceUid: 'action:core:local', permissionTypes: [PermissionType.actionAll] }]),
  role('lister', [{ permissionTypes: [PermissionType.executionList, PermissionType.keyValuePairAll] }]),
  role('off', [{ permissionTypes: [PermissionType.actionList] }], false),
]);

const local = { uid: 'action:core:local', pack: 'core' };
const execution = { uid: 'execution:1', actionUid: 'action:core:local', pack: 'core' };

describe('rolesGrant', () => {
  it('gives system_admin and admin everything, observer only view and list', () => {
    for (const admin of ['system_admin', 'admin']) {
      expect(rolesGrant([admin], roles, PermissionType.actionExecute, local)).toBe(true);
    }
    expect(rolesGrant(['observer'], roles, PermissionType.executionView, execution)).toBe(true);
    expect(rolesGrant(['observer'], roles, PermissionType.actionList)).toBe(true);
    expect(rolesGrant(['observer'], roles, PermissionType.actionExecute, local)).toBe(false);
    expect(rolesGrant(['observer'], roles, PermissionType.keyValuePairSet)).toBe(false);
  });

  it('matches grants on the resource, its pack, and for executions their action', () => {
    expect(
      rolesGrant(['pack_reader'], roles, PermissionType.actionView, {
        uid: 'action:examples:x',
        pack: 'examples',
      }),
    ).toBe(true);
    expect(rolesGrant(['pack_reader'], roles, PermissionType.actionView, local)).toBe(false);
    expect(
      rolesGrant(['pack_reader'], roles, PermissionType.actionExecute, {
        uid: 'action:examples:x',
        pack: 'examples',
      }),
    ).toBe(false);
    expect(rolesGrant(['runner'], roles, PermissionType.actionExecute, local)).toBe(true);
    // action_all on the action covers its executions
    expect(rolesGrant(['runner'], roles, PermissionType.executionStop, execution)).toBe(true);
    expect(
      rolesGrant(['runner'], roles, PermissionType.executionView, {
        uid: 'execution:2',
        actionUid: 'action:core:noop',
        pack: 'core',
      }),
    ).toBe(false);
  });

  it('treats grants without a resource as global, and x_all as every x permission', () => {
    expect(rolesGrant(['lister'], roles, PermissionType.executionList)).toBe(true);
    expect(
      rolesGrant(['lister'], roles, PermissionType.keyValuePairDelete, {
        uid: 'key_value_pair:st2kv.system:a',
      }),
    ).toBe(true);
    expect(rolesGrant(['lister'], roles, PermissionType.executionView, execution)).toBe(false);
  });

  it('ignores disabled and unknown roles', () => {
    expect(rolesGrant(['off'], roles, PermissionType.actionList)).toBe(false);
    expect(rolesGrant(['ghost'], roles, PermissionType.actionList)).toBe(false);
  });
});
