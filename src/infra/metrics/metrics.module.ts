import { Global, Module } from '@nestjs/common';
import { MetricsEndpoint } from './metrics-endpoint';
import { Metrics } from './metrics';

export { Metrics } from './metrics';

@Global()
@Module({ providers: [Metrics, MetricsEndpoint], exports: [Metrics, MetricsEndpoint] })
export class MetricsModule {}
