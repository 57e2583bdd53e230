import type { Tensor } from '@mlops/contracts';

export type ColumnKind = 'numeric' | 'categorical';

/** How the tensors of one model's prediction logs map to columns; fixed by the first log a window sees. */
export interface TensorLayout {
  names: string[];
  kinds: ColumnKind[];
  /** Per tensor, in order: its name and the number of columns a row of it holds. */
  tensors: { name: string; width: number }[];
}

const INTEGER_TYPES = new Set(['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8']);

/**
 * One column per value of a row: a tensor of shape [N, C] gives `name[0]`..`name[C-1]` (just `name` when C is 1).
 * Strings are categorical; so are integer outputs of width 1 (class labels); everything else is numeric.
 */
export function tensorLayout(tensors: readonly Tensor[], role: 'input' | 'output'): TensorLayout {
  const layout: TensorLayout = { names: [], kinds: [], tensors: [] };
  for (const tensor of tensors) {
    const width = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
    const categorical = tensor.datatype === 'BYTES' || (role === 'output' && width === 1 && INTEGER_TYPES.has(tensor.datatype));
    layout.tensors.push({ name: tensor.name, width });
    for (let j = 0; j < width; j++) {
      layout.names.push(width === 1 ? tensor.name : `${tensor.name}[${j}]`);
      layout.kinds.push(categorical ? 'categorical' : 'numeric');
    }
  }
  return layout;
}

/** Rows in a log: the leading dimension of its first tensor (a scalar-shaped tensor is one row). */
export function rowCount(tensors: readonly Tensor[]): number {
  if (tensors.length === 0) return 0;
  return tensors[0].shape.length === 0 ? 1 : tensors[0].shape[0];
}

/** True when the tensors have the layout's names and widths, so their values land in the right columns. */
export function matchesLayout(tensors: readonly Tensor[], layout: TensorLayout): boolean {
  if (tensors.length !== layout.tensors.length) return false;
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    let width = 1;
    for (let d = 1; d < t.shape.length; d++) width *= t.shape[d];
    if (t.name !== layout.tensors[i].name || width !== layout.tensors[i].width) return false;
  }
  return true;
}

/** The column whose value is the model's score: P(1) of a two-class probability output, else the first numeric output; -1 if none. */
export function scoreColumn(layout: TensorLayout): number {
  const twoClass = layout.tensors.find((t) => t.width === 2);
  if (twoClass) return layout.names.indexOf(`${twoClass.name}[1]`);
  return layout.kinds.indexOf('numeric');
}
