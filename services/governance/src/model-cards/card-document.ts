import type { ModelCard } from '@mlops/contracts';

/** A card laid out once as headings, paragraphs, tables and lists; Markdown and HTML each only write these. */
export type Block =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'list'; items: string[] };

export interface CardDocument {
  title: string;
  blocks: Block[];
}

const NONE = 'Not provided yet.';
const orNone = (text: string | null) => text ?? NONE;
const list = (items: readonly string[]): Block => (items.length ? { kind: 'list', items: [...items] } : { kind: 'paragraph', text: NONE });
const heading = (level: 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
const number = (value: number | null) => (value === null ? '-' : String(value));

export function cardDocument(card: ModelCard): CardDocument {
  const { modelDetails: details, modelParameters: parameters, quantitativeAnalysis: analysis, considerations } = card;
  return {
    title: `Model card: ${details.name} version ${details.version}`,
    blocks: [
      heading(2, 'Model details'),
      { kind: 'paragraph', text: orNone(details.description) },
      {
        kind: 'table',
        head: ['Field', 'Value'],
        rows: [
          ['Risk tier', details.riskTier],
          ['Registered', details.registeredAt],
          ['Owners', details.owners.map((o) => (o.contact ? `${o.name} (${o.contact})` : o.name)).join(', ') || NONE],
          ['License', orNone(details.license)],
          ['Artifact', `${details.artifact.uri} (sha256 ${details.artifact.sha256}, ${details.artifact.sizeBytes} bytes)`],
          ['Training run', details.lineage.runId ?? '-'],
          ['Code version', details.lineage.codeVersion ?? '-'],
          ['Parent version', number(details.lineage.parentVersion)],
          ['Last edited', card.lastEdit ? `${card.lastEdit.by} at ${card.lastEdit.at}` : '-'],
        ],
      },
      heading(3, 'References'),
      list(details.references),
      heading(2, 'Model parameters'),
      { kind: 'paragraph', text: `Architecture: ${parameters.architecture}` },
      heading(3, 'Hyperparameters'),
      Object.keys(parameters.hyperparameters).length
        ? { kind: 'table', head: ['Parameter', 'Value'], rows: Object.entries(parameters.hyperparameters).sort().map(([k, v]) => [k, String(v)]) }
        : { kind: 'paragraph', text: 'None recorded.' },
      heading(3, 'Inputs and outputs'),
      {
        kind: 'table',
        head: ['Direction', 'Name', 'Element type', 'Shape'],
        rows: [
          ...parameters.inputs.map((t) => ['input', t.name, t.elementType, JSON.stringify(t.shape)]),
          ...parameters.outputs.map((t) => ['output', t.name, t.elementType, JSON.stringify(t.shape)]),
        ],
      },
      heading(3, 'Training data'),
      {
        kind: 'table',
        head: ['Field', 'Value'],
        rows: [
          ['Dataset snapshot', parameters.trainingData.snapshotId ?? '-'],
          ['Dataset sha256', parameters.trainingData.sha256 ?? '-'],
        ],
      },
      { kind: 'paragraph', text: orNone(parameters.trainingData.description) },
      heading(3, 'Evaluation data'),
      { kind: 'paragraph', text: orNone(parameters.evaluationData.description) },
      heading(2, 'Quantitative analysis'),
      heading(3, 'Performance metrics (holdout)'),
      analysis.metrics.length
        ? { kind: 'table', head: ['Metric', 'Value', 'Champion on the same holdout'], rows: analysis.metrics.map((m) => [m.name, String(m.value), number(m.championValue)]) }
        : { kind: 'paragraph', text: 'None recorded.' },
      heading(3, 'Policy checks'),
      analysis.checks.length
        ? { kind: 'table', head: ['Check', 'Result', 'Detail'], rows: analysis.checks.map((c) => [c.name, c.passed ? 'passed' : 'failed', c.detail]) }
        : { kind: 'paragraph', text: 'No checks recorded yet.' },
      heading(3, 'Approval'),
      {
        kind: 'paragraph',
        text: analysis.approval
          ? `${analysis.approval.decision} by ${analysis.approval.decidedBy.join(', ')} at ${analysis.approval.decidedAt}: ${analysis.approval.reason}`
          : 'No decision yet.',
      },
      heading(2, 'Considerations'),
      heading(3, 'Intended users'),
      list(considerations.users),
      heading(3, 'Use cases'),
      list(considerations.useCases),
      heading(3, 'Limitations'),
      list(considerations.limitations),
      heading(3, 'Tradeoffs'),
      list(considerations.tradeoffs),
      heading(3, 'Ethical considerations'),
      list(considerations.ethicalConsiderations.map((e) => (e.mitigationStrategy ? `${e.name} (mitigation: ${e.mitigationStrategy})` : e.name))),
    ],
  };
}
