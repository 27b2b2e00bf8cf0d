import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentUser, regionIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { CountyDate } from '../kernel/county-date';
import {
  AnchorCheckView,
  AnchorKey,
  CorrectionBody,
  LedgerEntryView,
  LedgerPage,
  LedgerQuery,
  LedgerVerification,
  SeqParam,
  SignedAnchorBody,
} from './ledger.dto';
import { LedgerAnchors } from './ledger-anchors.service';
import { LedgerService } from './ledger.service';

/** The civic-practice ledger (台账): read, verified, corrected by new entries, never edited. */
@ApiTags('ledger')
@Controller('api/v1/ledger')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly anchors: LedgerAnchors,
  ) {}

  @Get()
  @Access.user('ledger.read', regionIn('query', 'region'))
  @ApiResult(200, LedgerPage, 'Entries in seq order, a page at a time', {
    400: 'Invalid query',
    401: 'Not signed in',
    403: 'Outside your scope',
  })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(LedgerQuery) query: Parsed<typeof LedgerQuery>) {
    return this.ledger.list(actor, query);
  }

  @Get('verify')
  @Access.user('ledger.read')
  @ApiResult(
    200,
    LedgerVerification,
    'The whole chain recomputed: ok with its count and head, or the first entry where it breaks',
    { 401: 'Not signed in' },
  )
  verify() {
    return this.ledger.verify();
  }

  @Get('anchors/key')
  @Access.user('ledger.read')
  @ApiResult(200, AnchorKey, 'The public key that checks anchors', {
    401: 'Not signed in',
    404: 'Anchors not configured (LEDGER_ANCHOR_KEY_FILE)',
  })
  anchorKey() {
    return this.anchors.publicKey();
  }

  @Get('anchors/:date')
  @Access.user('ledger.read')
  @ApiResult(
    200,
    SignedAnchorBody,
    'The verified head at the end of a county date (so far, for today), signed: keep it outside the database',
    {
      400: 'Not a date, or after today',
      401: 'Not signed in',
      404: 'Anchors not configured (LEDGER_ANCHOR_KEY_FILE)',
      409: 'The chain does not verify up to that head',
    },
  )
  anchor(@ValidParam('date', CountyDate) date: string) {
    return this.anchors.anchor(date);
  }

  @Post('anchors/verify')
  @HttpCode(200)
  @Access.user('ledger.read')
  @ApiResult(
    200,
    AnchorCheckView,
    'A saved anchor against the chain as it is now: ok, or why they disagree (a rewrite shows here even when verify says ok)',
    {
      400: 'Not an anchor',
      401: 'Not signed in',
      404: 'Anchors not configured (LEDGER_ANCHOR_KEY_FILE)',
    },
  )
  checkAnchor(@ValidBody(SignedAnchorBody) anchor: Parsed<typeof SignedAnchorBody>) {
    return this.anchors.check(anchor);
  }

  @Get(':seq')
  @Access.user('ledger.read')
  @ApiResult(200, LedgerEntryView, 'One entry, with the corrections made to it', {
    400: 'Not an entry number',
    401: 'Not signed in',
    403: 'Outside your scope',
    404: 'No such entry',
  })
  get(@CurrentUser() actor: UserPrincipal, @ValidParam('seq', SeqParam) seq: string) {
    return this.ledger.get(actor, seq);
  }

  @Post(':seq/corrections')
  @HttpCode(201)
  @Access.user('ledger.correct')
  @ApiResult(201, LedgerEntryView, 'The correction, a new entry naming the one it corrects', {
    400: 'Invalid body, or a change to a field the entry does not have',
    401: 'Not signed in',
    403: 'Your role may not, or the entry is outside your scope',
    404: 'No such entry',
    409: 'Points and corrections are not corrected (record a new award or redemption)',
  })
  correct(
    @CurrentUser() actor: UserPrincipal,
    @ValidParam('seq', SeqParam) seq: string,
    @ValidBody(CorrectionBody) body: Parsed<typeof CorrectionBody>,
  ) {
    return this.ledger.correct(actor, seq, body);
  }
}
