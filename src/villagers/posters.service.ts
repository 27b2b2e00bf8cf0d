import { Injectable, NotFoundException } from '@nestjs/common';
import { PostersRepository } from './posters.repository';

// One answer for a poster code that does not exist and for one that was
// closed or replaced: a guesser learns nothing from the difference.
const NO_SUCH_POSTER = 'This QR code is no longer valid or does not exist; ask the village for the new one';

/** Each village's poster: its QR code opens the village's public page. */
@Injectable()
export class PostersService {
  constructor(private readonly posters: PostersRepository) {}

  /** The village of an open poster code; 404 (the same for every code that is not open) otherwise. */
  async requireVillage(code: string) {
    const village = await this.posters.villageOf(code);
    if (!village) throw new NotFoundException(NO_SUCH_POSTER);
    return village;
  }
}
