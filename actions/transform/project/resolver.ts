/**
 * Relation resolvers: where a node's logical schema lives on the server. The engine compiles and
 * builds with whatever resolver it is given; these are the two every run needs.
 */
import { DbtRelation, type RelationType } from './dbt-relation.ts';
import { SHADOW_SUFFIX, type Schemas } from '../../platform/schemas.ts';
import type { Relation, RelationNode, RelationResolver } from './types.ts';

/** A relation as templates see it: dbt's Relation (see dbt-relation.ts). */
export function makeRelation(schema: string, identifier: string, type: RelationType = null): Relation {
  return new DbtRelation(schema, identifier, type);
}

/** The table/view name of a node on the server. */
export function identifierOf(node: RelationNode): string {
  return node.resource_type === 'source' ? node.identifier : node.alias;
}

/** The physical schema of a node's logical schema (undefined: the default schema). */
export function physicalSchema(schemas: Schemas, logical: string | undefined): string {
  return logical === undefined ? schemas.defaultSchema : schemas.physical(logical);
}

/** Models, seeds and sources at their published place: prefix + logical schema. */
export function publishedResolver(schemas: Schemas): RelationResolver {
  return {
    resolve: (node) => makeRelation(physicalSchema(schemas, node.schema), identifierOf(node)),
  };
}

export interface ShadowResolverOptions {
  /**
   * Nodes built by this run go to the shadow schemas; any other model or seed (not selected)
   * resolves to its published place. Default: every model and seed is in the shadow.
   */
  inShadow?: (node: RelationNode) => boolean;
  /** Sources read from their shadow schema too (a load not yet published). Default false. */
  shadowSources?: boolean;
}

/** Models and seeds in `Schemas.shadow(logical)`, where write-audit-publish builds the next version. */
export function shadowResolver(schemas: Schemas, options: ShadowResolverOptions = {}): RelationResolver {
  const shadowOf = (logical: string | undefined) =>
    logical === undefined ? schemas.defaultSchema + SHADOW_SUFFIX : schemas.shadow(logical);
  return {
    resolve(node) {
      const shadow = node.resource_type === 'source' ? options.shadowSources === true : (options.inShadow?.(node) ?? true);
      const schema = shadow ? shadowOf(node.schema) : physicalSchema(schemas, node.schema);
      return makeRelation(schema, identifierOf(node));
    },
  };
}
