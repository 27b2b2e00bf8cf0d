import { execFileSync } from 'node:child_process';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { FfmpegTranscoder } from './ffmpeg-transcoder';
import { SpeechSynthesizer } from './speech-synthesizer';
import { describeTool, locateMediaTools, MediaTools, Tool } from './tools/locate-tools';
import type { Transcoder } from './transcoder';

interface Located {
  tools: MediaTools;
  transcoder: Transcoder;
  speech: SpeechSynthesizer;
}

/**
 * The media tools of a process that runs media jobs. They are found at
 * start-up, so a worker without them fails to start, saying what is missing
 * and where it looked, rather than failing every job.
 */
@Injectable()
export class MediaTooling implements OnApplicationBootstrap {
  private readonly logger = new Logger('MediaTooling');
  private located?: Located;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    const { tools } = this.load();
    for (const tool of [tools.ffmpeg, tools.ffprobe, tools.espeakNg]) {
      this.logger.log(`${describeTool(tool)}${versionOf(tool)}`);
    }
  }

  get transcoder(): Transcoder {
    return this.load().transcoder;
  }

  get speech(): SpeechSynthesizer {
    return this.load().speech;
  }

  /** ffmpeg itself, for work that streams (live audio, relays) rather than renders a file. */
  get ffmpeg(): Tool {
    return this.load().tools.ffmpeg;
  }

  private load(): Located {
    if (!this.located) {
      const tools = locateMediaTools(this.config.media.tools);
      this.located = {
        tools,
        transcoder: new FfmpegTranscoder(tools.ffmpeg, tools.ffprobe, this.config.media.maxSeconds),
        speech: new SpeechSynthesizer(tools.espeakNg),
      };
    }
    return this.located;
  }
}

function versionOf(tool: Tool): string {
  if (tool.prefixArgs.length) return '';
  try {
    const flag = tool.name === 'espeak-ng' ? '--version' : '-version';
    const first = execFileSync(tool.command, [flag], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
    return `, ${first.trim()}`;
  } catch {
    return '';
  }
}
