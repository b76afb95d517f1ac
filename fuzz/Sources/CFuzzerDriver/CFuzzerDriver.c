// The declaration in include/CFuzzerDriver.h is libFuzzer's own (linked by -sanitize=fuzzer);
// SwiftPM needs a source file to build the module.
#include "CFuzzerDriver.h"
