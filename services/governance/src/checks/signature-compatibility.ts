import type { ModelSignature } from '@mlops/contracts';

type TensorSpec = ModelSignature['inputs'][number];
type Dimension = TensorSpec['shape'][number];

/**
 * Why callers of the serving champion could not call the candidate unchanged, or nothing when they can: it must
 * take exactly the champion's inputs (same names, element types, ranks, and sizes where both fix one) and still
 * produce each of the champion's outputs with its element type. Extra outputs are harmless.
 */
export function signatureIncompatibilities(champion: ModelSignature, candidate: ModelSignature): string[] {
  const problems: string[] = [];
  const candidateInputs = new Map(candidate.inputs.map((t) => [t.name, t]));
  for (const expected of champion.inputs) {
    const actual = candidateInputs.get(expected.name);
    if (!actual) problems.push(`input ${expected.name} is missing`);
    else problems.push(...tensorMismatches('input', expected, actual));
  }
  const championInputs = new Set(champion.inputs.map((t) => t.name));
  for (const extra of candidate.inputs.filter((t) => !championInputs.has(t.name))) {
    problems.push(`input ${extra.name} is new: the champion's callers do not send it`);
  }
  const candidateOutputs = new Map(candidate.outputs.map((t) => [t.name, t]));
  for (const expected of champion.outputs) {
    const actual = candidateOutputs.get(expected.name);
    if (!actual) problems.push(`output ${expected.name} is missing`);
    else if (actual.elementType !== expected.elementType) problems.push(`output ${expected.name} is ${actual.elementType}, was ${expected.elementType}`);
  }
  return problems;
}

function tensorMismatches(kind: string, expected: TensorSpec, actual: TensorSpec): string[] {
  if (actual.elementType !== expected.elementType) return [`${kind} ${expected.name} is ${actual.elementType}, was ${expected.elementType}`];
  if (actual.shape.length !== expected.shape.length) {
    return [`${kind} ${expected.name} has rank ${actual.shape.length}, was ${expected.shape.length}`];
  }
  return expected.shape.flatMap((dim, i) =>
    conflicting(dim, actual.shape[i]) ? [`${kind} ${expected.name} dimension ${i} is ${actual.shape[i]}, was ${dim}`] : [],
  );
}

/** Only two fixed sizes can conflict: a symbolic dimension (batch) takes whatever the caller sends. */
const conflicting = (a: Dimension, b: Dimension) => typeof a === 'number' && typeof b === 'number' && a !== b;
