import { ToolError } from '../tool-error.ts';

/** A JSON value: what OpenAPI documents and the schemas made from them are made of. */
export type Json = null | boolean | number | string | readonly Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

export const isJsonObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isJsonArray = (value: Json | undefined): value is readonly Json[] =>
  Array.isArray(value);

/** A schema that must be an object (a definition, an openAPIV3Schema), or an error naming it. */
export function expectObject(value: Json | undefined, what: string): JsonObject {
  if (!isJsonObject(value))
    throw new ToolError('OPENAPI_INVALID', `${what} is not a schema object`);
  return value;
}

/** The object without the keys named. */
export function without(object: JsonObject, ...keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/** The group, version and kind of a resource, as the API names them. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** apps/v1, or v1 for the core group. */
export function apiVersionOf({ group, version }: GroupVersionKind): string {
  return group ? `${group}/${version}` : version;
}

/** kubeconform's {{ .ResourceKind }}{{ .KindSuffix }}.json: deployment-apps-v1.json, pod-v1.json. */
export function schemaFileName(gvk: GroupVersionKind): string {
  const suffix = gvk.group
    ? `-${gvk.group.split('.')[0]?.toLowerCase()}-${gvk.version.toLowerCase()}`
    : `-${gvk.version.toLowerCase()}`;
  return `${gvk.kind.toLowerCase()}${suffix}.json`;
}
