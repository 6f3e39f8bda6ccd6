# Install rules and the CMake package: headers (with the generated .inc),
# the static libraries as exported targets Diviml::<Area>, Diviml::Dialect,
# Diviml::Passes and Diviml::Core, the tools and the mlir-opt plugin.
# An out-of-tree project then needs only
#   find_package(Diviml REQUIRED CONFIG)
#   target_link_libraries(app PRIVATE Diviml::Passes)
# (examples/consumer/, docs/api.md).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DIVIML_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Diviml)

set(diviml_libraries DivimlSolvers DivimlModel DivimlEvaluation DivimlBounds
    DivimlBaselines DivimlMilp DivimlSplit DivimlAlgorithms DivimlWorkloads
    DivimlCore)
install(DIRECTORY include/diviml DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.td")

if(NOT DIVIML_CORE_ONLY)
  list(APPEND diviml_libraries DivimlDialect DivimlPasses)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/include/diviml
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.inc" PATTERN CMakeFiles EXCLUDE)
  install(TARGETS diviml-opt diviml-translate diviml-modelgen diviml-calibrate
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(TARGETS DivimlPlugin LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

install(TARGETS ${diviml_libraries} EXPORT DivimlTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT DivimlTargets NAMESPACE Diviml::
        DESTINATION ${DIVIML_CMAKE_INSTALL_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/DivimlConfig.cmake.in
  ${PROJECT_BINARY_DIR}/DivimlConfig.cmake
  INSTALL_DESTINATION ${DIVIML_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/DivimlConfigVersion.cmake
  VERSION 0.1.0 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/DivimlConfig.cmake
        ${PROJECT_BINARY_DIR}/DivimlConfigVersion.cmake
        DESTINATION ${DIVIML_CMAKE_INSTALL_DIR})
