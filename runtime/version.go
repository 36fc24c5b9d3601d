package runtime

// GenVersion1 exists in every runtime that runs code generated for version
// 1 of the runtime API. Generated code refers to it; a runtime that drops
// version 1 removes it, and the stale code stops compiling.
const GenVersion1 = 1

// Version is the version of the runtime API that jlgen generates code for.
const Version = 1
