/** The platform's buckets: models, dataset snapshots, and reports (model cards, evaluations). */
export const BUCKETS = {
  artifacts: 'mlops-artifacts',
  datasets: 'mlops-datasets',
  reports: 'mlops-reports',
} as const;
