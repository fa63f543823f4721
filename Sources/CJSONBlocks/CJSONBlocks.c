// The classifier is inline in its header; this file gives the target a source to build.
#include "CJSONBlocks.h"
