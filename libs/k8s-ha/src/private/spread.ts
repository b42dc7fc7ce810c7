import type { SpreadProps } from '../ha-deployment.js';
import { DEFAULT_WHEN_UNSATISFIABLE, DEFAULT_ZONES } from '../ha-deployment-defaults.js';
import { checkInteger } from './validation.js';

/** The spread with its defaults applied; refuses a `minDomains` the zones cannot meet. */
export function resolveSpread(props: SpreadProps = {}) {
  const zones = props.zones ?? DEFAULT_ZONES;
  checkInteger('spread.zones', zones, 1, 10, 'count the availability zones your nodes run in');
  const whenUnsatisfiable = props.whenUnsatisfiable ?? DEFAULT_WHEN_UNSATISFIABLE;
  if (props.minDomains !== undefined) {
    if (whenUnsatisfiable !== 'DoNotSchedule') {
      throw new Error(
        `'spread.minDomains' (${props.minDomains}) must be used with whenUnsatisfiable ` +
          `'DoNotSchedule': Kubernetes ignores it otherwise; set spread.whenUnsatisfiable`,
      );
    }
    if (props.minDomains > zones) {
      throw new Error(
        `'spread.minDomains' (${props.minDomains}) must be at most 'spread.zones' (${zones}): ` +
          `more zones required than declared leaves pods Pending; lower minDomains or declare more zones`,
      );
    }
    checkInteger('spread.minDomains', props.minDomains, 1, zones, 'use the number of zones');
  }
  return { zones, whenUnsatisfiable, minDomains: props.minDomains };
}
