"""cc_proto: C++ code from .proto files with Debian's system protoc.

Bazel 4's native proto rules want to build protoc from source, which needs the
network. This macro runs /usr/bin/protoc in a genrule instead and wraps the output
in a cc_library that links the system libprotobuf, so the generated code always
matches the installed runtime.
"""

def cc_proto(name, srcs, deps = [], visibility = None):
    """Declares `name` as a cc_library of the C++ code generated from `srcs`.

    Args:
      name: the cc_library's name.
      srcs: .proto files in this package.
      deps: other cc_proto targets whose .proto files `srcs` import.
      visibility: passed to the cc_library.
    """
    for s in srcs:
        if not s.endswith(".proto"):
            fail("cc_proto srcs must be .proto files: " + s)
    stems = [s[:-len(".proto")] for s in srcs]
    hdrs = [s + ".pb.h" for s in stems]
    ccs = [s + ".pb.cc" for s in stems]
    dep_srcs = [d + "_proto_srcs" for d in deps]
    native.filegroup(
        name = name + "_proto_srcs",
        srcs = srcs + dep_srcs,
        visibility = visibility,
    )
    native.genrule(
        name = name + "_protoc",
        srcs = srcs + dep_srcs,
        outs = hdrs + ccs,
        cmd = "/usr/bin/protoc -I. --cpp_out=$(GENDIR) " +
              " ".join(["$(location %s)" % s for s in srcs]),
        message = "protoc " + native.package_name(),
    )
    native.cc_library(
        name = name,
        srcs = ccs,
        hdrs = hdrs,
        deps = deps + ["//third_party/system:protobuf"],
        visibility = visibility,
    )
