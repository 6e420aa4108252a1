/* ladder_geo.h: the ladder's geometry, shared by its two painters: ladder.c (the lanes,
 * the rows, the items and their words) and ladder_arrows.c (the arrows between the lanes,
 * inferred and observed, and their labels). Private to the ladder. */
#ifndef SHUTDOWNLAB_LADDER_GEO_H
#define SHUTDOWNLAB_LADDER_GEO_H

#include "ui.h"

/* The diagram's proportions. Lanes: each end's words take a share of the pane's width. */
#define LANE_MIN_PCT 15   /* at least this */
#define LANE_USUAL_PCT 36 /* usually at most this: longer words wrap */
#define LANE_MAX_PCT 40   /* at most this, when an unbreakable piece needs it */
#define MIDDLE_MIN_PCT 25 /* the middle keeps this for the arrows and their labels */
#define MIDDLE_WIRE_PCT 40 /* ... this beside a capture: its segments' labels (flags, seq, ack) */
/* Rows, in hundredths of a line of the body font. */
#define ROW_PCT 170     /* a row's usual height */
#define ROW_MIN_PCT 125 /* squeezed, when the rows do not all fit */
#define SEG_SLOPE_PCT 45 /* an observed segment's row: its label's lines and this for its arrow's slope */
/* Other sizes, in 96-DPI pixels scaled by DPI and zoom. */
#define DOT_PX 5          /* half a marker's side */
#define WORDS_GAP_PX 6    /* between a marker and its words */
#define EDGE_PX 4         /* between the words and the pane's edge */
#define LABEL_GAP_PX 3    /* between an arrow and its label */
#define ARROW_PEN_PX 3
#define ARROW_HEAD_PX 14
#define ARROW_HALF_PX 7

#define LINES_MAX 6 /* an item's words wrap on at most this many lines */
#define PIECES_MAX 16 /* an item's words' pieces, those too wide for their lane broken too */
#define PIECE_MAX 120

typedef struct ItemGeo {
    wchar_t line[LINES_MAX][PIECE_MAX];
    int n;    /* lines */
    RECT box; /* where its words are */
} ItemGeo;

#define LABEL_LINES 3 /* an arrow's label wraps on at most this many lines */

typedef struct ArrowLabel {
    RECT at;
    COLORREF c;
    wchar_t line[LABEL_LINES][PIECE_MAX];
} ArrowLabel;

typedef struct LadderGeo {
    RECT rc;                    /* the pane */
    int lane_x[SIDE_COUNT], mid; /* each lane's x, and the middle between them */
    int top, avail;             /* the rows' area: its top and height */
    int row_h, min_h;           /* a row's usual and squeezed height */
    int dot, sl;                /* half a marker; a line of the small font */
    int nrows, first;           /* rows, and the first shown (the latest when all do not fit) */
    int *rh, *yc;               /* each row's height and centre */
    ItemGeo *item;              /* each item's lines and box */
    RECT *taken;                /* what arrow labels keep out of */
    int ntaken, cap_taken;
    ArrowLabel *labels;         /* the arrows' labels, drawn over every arrow (ladder_arrows.c) */
    int nlabels;
} LadderGeo;

/* One line of the ladder's words in r, with an ellipsis if it does not fit: each such cut
 * is counted (ladder_cuts) for the paint that drew it, and a test reads it from outside. */
void ladder_text_at(HDC dc, const wchar_t *s, RECT r, UINT fmt);
int ladder_cuts(int reset);
/* Keeps r out of later arrow labels' way. */
void ladder_take(LadderGeo *g, RECT r);
/* Stage 5: every arrow of a shown row, with its label where nothing else is. */
void ladder_paint_arrows(const App *a, HDC dc, LadderGeo *g);

#endif
