/**
 * A procedure file (resources/procedures/*.json, or an edited version in <dataDir>/procedures/): one section of
 * the vehicle team's runbook as guided steps. resources/procedures/README.md documents the format for the people who
 * write them. Everything a file says is checked here, at load, so that a run never meets a step it cannot execute:
 * unknown step kinds, missing translations, shell text in a command, steps that jump nowhere, mutating steps without
 * live preconditions are all refused with the place in the file and the reason.
 *
 * The format is split by job: its vocabulary, commands and parameters, gates and operations, steps, the whole
 * procedure with its parsing, the whole-file rules, and the escalation matrix; importers use this one path.
 */
export {
  END_OF_PROCEDURE,
  GATE_NAMES,
  GateNameSchema,
  LocalizedTextSchema,
  NEVER_OVERRIDABLE_GATES,
  PROCEDURE_CATEGORIES,
  PROFILE_KEYS,
  ProcedureCategorySchema,
  STEP_KINDS,
  UNQUOTED_PARAMETER,
  CheckIdSchema,
  type GateName,
  type Language,
  type LocalizedText,
  type ProcedureCategory,
  type ProfileKey,
  type StepKind,
} from './vocabulary';
export * from './commands';
export { GateSchema, OPERATIONS, OPERATION_NAMES, type Gate, type OperationName } from './operations';
export * from './steps';
export * from './procedureSchema';
export * from './escalation';
