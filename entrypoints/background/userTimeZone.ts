import { connectionTestItem } from '../../components/storage/worker';
import { timeZoneFromConnectionTest } from '../../lib/records/userTimeZone';

/** The Salesforce user's time zone, as the last connection test found it. */
export const userTimeZone = async () => timeZoneFromConnectionTest(await connectionTestItem.getValue());
