import { worstFirst, urgency, type Finding } from '../../../shared/domain/findings';
import type { CheckResult } from '../../../shared/domain/health';
import { CHECK_RELATIONS, type CheckMatch, type CheckRelation } from './modules/relations';

/**
 * A report's problems as findings, cause before consequence (see modules/relations.ts): each problem that nothing
 * else explains is a finding, and everything it explains, directly or through another, is folded under it.
 */

/** Where the procedure to start from comes from: the library's best for a check and the runbook section it names. */
export type ProcedureAdvisor = (checkId: string, runbook: string | undefined) => Promise<Finding['procedure']>;

type Node = { check: CheckResult; order: number };

const isProblem = (check: CheckResult): boolean => check.level !== 'OK';

/**
 * The checks findings are made of, depth-first: problems without children, and groups whose own verdict is worse
 * than any of their children's (the failed-units list beside a healthy PostgreSQL); a group that only rolls its
 * children up says nothing of its own.
 */
function candidates(checks: readonly CheckResult[]): Node[] {
  const nodes: Node[] = [];
  const visit = (check: CheckResult): void => {
    const children = check.children ?? [];
    const ownVerdict = children.every((child) => urgency(check.level) > urgency(child.level));
    if (isProblem(check) && (children.length === 0 || ownVerdict)) {
      nodes.push({ check, order: nodes.length });
    }
    children.forEach(visit);
  };
  checks.forEach(visit);
  return nodes;
}

function coversId(pattern: string, id: string): boolean {
  return pattern === '*' || id === pattern || id.startsWith(`${pattern}.`);
}

const parentOf = (id: string): string => id.slice(0, Math.max(0, id.lastIndexOf('.')));

/** Whether a check is what the match names; `cause` is the check the relation starts from (for `sibling`). */
export function matchesCheck(match: CheckMatch, check: CheckResult, cause?: CheckResult): boolean {
  if (!coversId(match.id, check.id) || (match.levels && !match.levels.includes(check.level))) {
    return false;
  }
  if (match.sibling && (cause === undefined || parentOf(cause.id) !== parentOf(check.id))) {
    return false;
  }
  if (match.metrics && Object.entries(match.metrics).some(([name, value]) => check.metrics?.[name] !== value)) {
    return false;
  }
  if (match.says && (check.say === undefined || !(match.says as readonly string[]).includes(check.say.key))) {
    return false;
  }
  const params = check.say?.params ?? {};
  return Object.entries(match.params ?? {}).every(([name, value]) => {
    const said = params[name];
    return (typeof said === 'string' || typeof said === 'number') && String(said) === value;
  });
}

/** Who explains whom among the problems: an edge from each cause to each problem it explains. */
function explanations(nodes: readonly Node[], relations: readonly CheckRelation[]): Map<Node, Set<Node>> {
  const edges = new Map<Node, Set<Node>>(nodes.map((node) => [node, new Set<Node>()]));
  for (const relation of relations) {
    for (const cause of nodes.filter((node) => matchesCheck(relation.cause, node.check))) {
      for (const effect of nodes) {
        if (effect !== cause && relation.explains.some((match) => matchesCheck(match, effect.check, cause.check))) {
          edges.get(cause)?.add(effect);
        }
      }
    }
  }
  return edges;
}

/** The report's findings without their procedures, worst first. */
export function findingsOf(
  checks: readonly CheckResult[],
  relations: readonly CheckRelation[] = CHECK_RELATIONS,
): Finding[] {
  const nodes = candidates(checks);
  const edges = explanations(nodes, relations);
  const explained = new Set([...edges.values()].flatMap((effects) => [...effects]));
  const claimed = new Set<Node>();
  const findings: Finding[] = [];
  const found = (root: Node): void => {
    claimed.add(root);
    const folded: Node[] = [];
    const claim = (node: Node): void => {
      for (const effect of edges.get(node) ?? []) {
        if (!claimed.has(effect)) {
          claimed.add(effect);
          folded.push(effect);
          claim(effect);
        }
      }
    };
    claim(root);
    findings.push(
      finding(
        root.check,
        folded.sort((a, b) => a.order - b.order),
      ),
    );
  };
  // What nothing explains comes first; a circle of problems that explain each other starts from its first.
  nodes.filter((node) => !explained.has(node)).forEach(found);
  nodes.filter((node) => !claimed.has(node)).forEach((node) => !claimed.has(node) && found(node));
  return worstFirst(findings);
}

function finding(root: CheckResult, folded: readonly Node[]): Finding {
  const level = [root.level, ...folded.map((n) => n.check.level)].reduce((worst, each) =>
    urgency(each) > urgency(worst) ? each : worst,
  );
  return {
    root: root.id,
    message: root.message,
    ...(root.say ? { say: root.say } : {}),
    ...(root.runbook === undefined ? {} : { runbook: root.runbook }),
    level,
    rootLevel: root.level,
    consequences: folded.map((n) => ({ id: n.check.id, level: n.check.level })),
    procedure: null,
  };
}

/** The findings with the procedure to start from, each asked once per check and runbook section. */
export async function withProcedures(findings: readonly Finding[], advise: ProcedureAdvisor): Promise<Finding[]> {
  const asked = new Map<string, Promise<Finding['procedure']>>();
  return Promise.all(
    findings.map(async (each) => {
      const key = `${each.root}\n${each.runbook ?? ''}`;
      let pending = asked.get(key);
      if (!pending) {
        pending = advise(each.root, each.runbook).catch(() => null);
        asked.set(key, pending);
      }
      return { ...each, procedure: await pending };
    }),
  );
}
