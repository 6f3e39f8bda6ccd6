# lit configuration of the diviml FileCheck tests.
import os
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "DIVIML"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.diviml_obj_root, "lit")
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

llvm_config.use_default_substitutions()
config.substitutions.append(("%diviml_plugin", config.diviml_plugin))
# The stock Debian mlir-opt, by full path so the plugin test never picks up
# another one.
config.substitutions.append(("%mlir_opt", config.mlir_opt))
config.substitutions.append(("%diviml_src", config.diviml_src_root))
config.substitutions.append(("%python", sys.executable))

tool_dirs = [config.diviml_tools_dir, config.llvm_tools_dir]
tools = ["diviml-opt", "diviml-translate", "diviml-modelgen", "diviml-calibrate", "mlir-opt"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.diviml_tools_dir, append_path=True)
