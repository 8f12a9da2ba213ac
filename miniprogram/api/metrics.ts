/** The server's view of the metrics the monitor reported (GET /api/metrics/summary). */
import type { MetricsSummary } from '../../typings/api';
import { apiHttp } from './client';

export function fetchMetricsSummary(): Promise<MetricsSummary> {
  return apiHttp().request<MetricsSummary>({ url: '/api/metrics/summary', retry: false });
}
