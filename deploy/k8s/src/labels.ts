import type { ServiceName } from './params.js';

/** The label that names a service's pods; selectors and policies match on it. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** Labels every object of the deployment carries. */
export const COMMON_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/part-of': 'fieldwise',
  'app.kubernetes.io/managed-by': 'fieldwise-deploy',
};

/** The selector labels of one service's pods. */
export function selectorLabels(
  name: ServiceName,
): Readonly<Record<string, string>> {
  return { [NAME_LABEL]: name };
}

/** All labels of one service's objects. */
export function serviceLabels(
  name: ServiceName,
  version: string,
): Record<string, string> {
  return {
    ...COMMON_LABELS,
    ...selectorLabels(name),
    'app.kubernetes.io/version': version,
  };
}
