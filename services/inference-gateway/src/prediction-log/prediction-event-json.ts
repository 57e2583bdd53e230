import { randomUUID } from 'node:crypto';
import { eventType } from '@mlops/contracts';
import { jsonDataText } from '../inference/json-tensor-codec';
import type { DecodedTensor } from '../inference/tensor';
import type { PredictionRecord } from './prediction-record';

export const PREDICTIONS_TOPIC = 'mlops.predictions.logged';
const EVENT_TYPE = JSON.stringify(eventType(PREDICTIONS_TOPIC));

/** The CloudEvent of a record, as JSON text: the same document JSON.stringify would write for the event object. */
export function predictionEventJson(record: PredictionRecord): string {
  const at = JSON.stringify(record.at.toISOString());
  const model = JSON.stringify(record.modelName);
  return (
    `{"specversion":"1.0","id":"${randomUUID()}","source":"/mlops/inference-gateway","type":${EVENT_TYPE},"time":${at},"subject":${model},` +
    `"datacontenttype":"application/json","data":{"requestId":${JSON.stringify(record.requestId)},"modelName":${model},"version":${record.version},` +
    `"role":"${record.role}","inputs":${tensorsJson(record.inputs)},"outputs":${tensorsJson(record.outputs)},"latencyMs":${JSON.stringify(record.latencyMs)},"timestamp":${at}}}`
  );
}

function tensorsJson(tensors: DecodedTensor[]): string {
  let text = '';
  for (const tensor of tensors) {
    text += `${text ? ',' : ''}{"name":${JSON.stringify(tensor.name)},"datatype":"${tensor.datatype}","shape":[${tensor.shape.join(',')}],"data":${jsonDataText(tensor.datatype, tensor.values)}}`;
  }
  return `[${text}]`;
}
